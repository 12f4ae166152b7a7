import { InvalidUnsubscribeLink } from "@/components/unsubscribe-page";

export default InvalidUnsubscribeLink;
