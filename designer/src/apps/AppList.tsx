// Placeholder: replaced by the screen's implementation.
export default function AppList() {
  return <p>TODO AppList</p>;
}
