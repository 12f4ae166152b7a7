import { InvalidStatusLink } from "@/components/invalid-status-link";

export default InvalidStatusLink;
