// Placeholder: replaced by the screen's implementation.
export default function AppHome({ appId }: { appId: string }) {
  return <p>TODO AppHome {appId}</p>;
}
