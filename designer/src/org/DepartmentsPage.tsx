// Placeholder: replaced by the screen's implementation.
export default function DepartmentsPage() {
  return <p>TODO DepartmentsPage</p>;
}
