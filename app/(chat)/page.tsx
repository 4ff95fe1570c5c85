import { requirePageUser } from "@/auth";
import { modelOptions } from "@/chat/model-choice";
import { NewChatView } from "@/components/chat/new-chat-view";
import { database } from "@/server/database";

export const dynamic = "force-dynamic";

export default async function NewChatPage() {
  const user = await requirePageUser("/");
  const { catalog, newChatModel } = await modelOptions(await database(), user.id);
  return <NewChatView catalog={catalog} newChatModel={newChatModel} />;
}
