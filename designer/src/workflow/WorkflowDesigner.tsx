// Placeholder: replaced by the screen's implementation.
export default function WorkflowDesigner({ formId }: { formId: string }) {
  return <p>TODO WorkflowDesigner {formId}</p>;
}
