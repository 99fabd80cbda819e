// Words for platform reference facts.
import { CONTRACT_HOLDER_LABELS, type ContractHolder } from "../schemas/codes.ts";

export function contractHolderLabel(holder: string): string {
  return CONTRACT_HOLDER_LABELS[holder as ContractHolder] ?? CONTRACT_HOLDER_LABELS.unknown;
}
