// CSV as RFC 4180 describes it: CRLF line ends, a header row, fields quoted when they hold a
// comma, quote, CR or LF, quotes doubled. UTF-8 without a byte-order mark.
export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
