// How an alert reads on the screen: its kind (an overdue one by its stage),
// where, and what item. zh-CN screens can use the server's one-line message;
// the parts are localised.
import { useI18n } from 'vue-i18n';
import type { Alert } from '@shared/schemas/alert.ts';
import { useIncidentsStore } from '../../stores/incidents.ts';
import { useNames } from '../screen/names.ts';
import { timeOfDay } from '../screen/names.ts';
import { alertKindKey } from './alert-kind.ts';

export function useAlertText() {
  const { t, locale } = useI18n();
  const names = useNames();
  const incidents = useIncidentsStore();
  return (alert: Alert) => {
    const incident = alert.incidentId ? incidents.book.get(alert.incidentId) : undefined;
    const itemCode = incident?.itemCode ?? (typeof alert.data?.itemCode === 'string' ? alert.data.itemCode : null);
    return {
      kind: t(alertKindKey(alert)),
      level: t('screen.level', { n: alert.level }),
      place: names.place(incident ?? alert),
      item: itemCode ? names.item(itemCode) : (locale.value === 'zh-CN' ? alert.message : ''),
      raisedAt: t('screen.alert.raisedAt', { time: timeOfDay(alert.raisedAt, locale.value) }),
    };
  };
}
