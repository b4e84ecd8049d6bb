import { redirect } from 'next/navigation';
import { getSessionUser } from '@/lib/auth/session';

/** The front door: incidents when signed in, else the sign-in page. */
export default async function HomePage() {
  const user = await getSessionUser();
  redirect(user ? '/incidents' : '/signin');
}
