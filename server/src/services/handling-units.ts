// The handling units incidents are dispatched to: reference data loaded at
// every start (like the catalogue), so unit accounts can name one. Names are
// the usual ones for a Chinese district; the dispatch issue grows the list.
import type { HandlingUnit } from '../db/repositories/units-repository.ts';

export const HANDLING_UNITS: HandlingUnit[] = [
  { code: 'urban-mgmt', name: '新区综合行政执法局', nameEn: 'Urban management and law enforcement', kind: 'government' },
  { code: 'work-safety', name: '新区应急管理局', nameEn: 'Emergency management and work safety', kind: 'government' },
  { code: 'police', name: '镇江市公安局新区分局', nameEn: 'New Area police bureau', kind: 'police' },
  { code: 'ecology', name: '新区生态环境局', nameEn: 'Ecology and environment', kind: 'government' },
  { code: 'civil-affairs', name: '新区社会事业局', nameEn: 'Civil affairs and social services', kind: 'government' },
  { code: 'water', name: '新区水务公司', nameEn: 'Water company', kind: 'utility' },
  { code: 'power', name: '国网镇江新区供电公司', nameEn: 'Power supply company', kind: 'utility' },
  { code: 'gas', name: '新区燃气公司', nameEn: 'Gas company', kind: 'utility' },
  { code: 'property', name: '新区物业服务企业', nameEn: 'Property management companies', kind: 'property' },
];
