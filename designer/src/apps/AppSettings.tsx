// Placeholder: replaced by the screen's implementation.
export default function AppSettings({ appId }: { appId: string }) {
  return <p>TODO AppSettings {appId}</p>;
}
