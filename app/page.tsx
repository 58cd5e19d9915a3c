import { withAuth } from '@workos-inc/authkit-nextjs';

export default async function Home() {
  const { user } = await withAuth();
  return (
    <main>
      <h1>authkit-session-mfa demo</h1>
      <p>{user ? `Signed in as ${user.email}` : 'Signed out'}</p>
    </main>
  );
}
