import { listModels } from "@/ai/model-catalog";
import { requirePageUser } from "@/auth";
import { NewChatView } from "@/components/chat/new-chat-view";

export const dynamic = "force-dynamic";

export default async function NewChatPage() {
  await requirePageUser("/");
  const catalog = await listModels();
  return <NewChatView catalog={catalog} newChatModel={catalog.default} />;
}
