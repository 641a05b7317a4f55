// Placeholder: replaced by the screen's implementation.
export default function FormDesigner({ formId }: { formId: string }) {
  return <p>TODO FormDesigner {formId}</p>;
}
