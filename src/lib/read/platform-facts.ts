// Words for platform reference facts.
const CONTRACT_HOLDERS: Record<string, string> = {
  platform: "The platform: it bills insurers under its own contracts",
  therapist: "The therapist: their own insurer contracts",
  mixed: "It varies by insurer or state",
  unknown: "Not known from public sources",
};

export function contractHolderLabel(holder: string): string {
  return CONTRACT_HOLDERS[holder] ?? CONTRACT_HOLDERS.unknown!;
}
