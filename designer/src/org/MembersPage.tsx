// Placeholder: replaced by the screen's implementation.
export default function MembersPage() {
  return <p>TODO MembersPage</p>;
}
