// A strict RFC 4180 parser for tests: CRLF record ends, quoted fields with doubled quotes, the
// same number of fields in every record. Anything else throws, naming the offset.
export function parseCsvStrict(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) throw new Error("byte-order mark at the start");
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`);
  };
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') fail("quote inside an unquoted field");
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (i >= text.length) {
      if (!(record.length === 1 && record[0] === "")) records.push(record);
      break;
    }
    if (text[i] === "\r" && text[i + 1] === "\n") {
      i += 2;
      records.push(record);
      record = [];
      if (i >= text.length) break;
      continue;
    }
    fail(text[i] === "\n" ? "bare LF (records must end with CRLF)" : "unexpected character after a field");
  }
  const width = records[0]?.length ?? 0;
  records.forEach((r, n) => {
    if (r.length !== width) throw new Error(`record ${n + 1} has ${r.length} fields; the header has ${width}`);
  });
  return records;
}
