// The ids that tie a form control to its hint and error, shared by every field component.
export function fieldIds(name: string, hasHint: boolean) {
  const id = `f-${name.replaceAll(".", "-")}`;
  return { id, hintId: `${id}-hint`, errorId: `${id}-error`, describedBy: [hasHint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ") };
}
