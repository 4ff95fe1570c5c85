import "server-only";
import { auth } from "@/auth";
import { getUserById } from "@/db";
import { database } from "@/db/instance";

/**
 * The signed-in user, or null. For the layout, which cannot redirect with the right return
 * address (it does not know the page's path): the page itself calls requirePageUser.
 */
export async function optionalUser(): Promise<{
  id: string;
  email: string;
  name: string | null;
} | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getUserById(await database(), { userId: id }).catch(() => null);
  return user ? { id: user.id, email: user.email, name: user.name } : null;
}
