// Which i18n key names an alert's kind. An overdue alert is named by the SLA
// stage that ran late (its data.stage: response, handling, verification) or,
// when it told a seat that an item escalated itself, by that; an overdue
// alert without a stage (raised before stages were named) was about acceptance.
import type { Alert } from '@shared/schemas/alert.ts';

export function alertKindKey(alert: Pick<Alert, 'kind' | 'data'>): string {
  if (alert.kind !== 'overdue') return `screen.alertKind.${alert.kind}`;
  if (typeof alert.data?.escalatedTo === 'string') return 'screen.overdueStage.escalated';
  const stage = alert.data?.stage;
  return stage === 'handling' || stage === 'verification' ? `screen.overdueStage.${stage}` : 'screen.overdueStage.response';
}
