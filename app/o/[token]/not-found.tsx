import { InvalidLink } from "@/components/invalid-link";

export default InvalidLink;
