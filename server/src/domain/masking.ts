// Masking of personal data for roles that do not need it in full (PIPL's
// minimum-necessary rule): enough to recognise, not enough to use.

/** 13812345678 -> 138****5678; other lengths keep a third at each end at most. */
export function maskPhone(phone: string): string {
  const digits = phone.trim();
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  const keep = Math.min(3, Math.floor(digits.length / 3));
  return `${digits.slice(0, keep)}${'*'.repeat(digits.length - 2 * keep)}${digits.slice(-keep)}`;
}

/** 18-digit resident ID: keep the first 3 and last 4 (region and checksum hidden too), 321***********123X. */
export function maskIdNumber(id: string): string {
  const value = id.trim();
  if (value.length < 8) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
}

/** 王成亮 -> 王*亮, 王亮 -> 王*, latin names keep the first letter of each part. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (/^[\p{Script=Han}·]+$/u.test(name.trim())) {
    if (chars.length === 1) return '*';
    if (chars.length === 2) return `${chars[0]}*`;
    return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  return name.trim().split(/\s+/).map((part) => `${part[0]}${'*'.repeat(Math.max(part.length - 1, 1))}`).join(' ');
}
