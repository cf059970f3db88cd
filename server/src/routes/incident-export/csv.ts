// CSV for spreadsheets: RFC 4180 quoting, and a cell that a spreadsheet would
// run as a formula (=, +, -, @, tab, CR first) is prefixed with ' so an
// exported description cannot execute anything on the reader's machine.
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',');
}
