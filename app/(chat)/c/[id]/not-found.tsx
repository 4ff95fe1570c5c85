import { ConversationNotFound } from "@/components/chat/conversation-not-found";

export default function NotFound() {
  return <ConversationNotFound />;
}
