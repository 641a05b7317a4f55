// Placeholder: replaced by the screen's implementation.
export default function RolesPage() {
  return <p>TODO RolesPage</p>;
}
