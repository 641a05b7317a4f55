import { useSession } from './lib/session';
import { Loading, SignInPage } from './ui/common';

export function App() {
  const session = useSession();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signedOut') return <SignInPage title={{ en: 'Trellis', zh: 'Trellis' }} />;
  return <main>{session.user.name}</main>;
}
