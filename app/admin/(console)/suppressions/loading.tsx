import { ListSkeleton } from "@/components/admin/list-skeleton";

const Loading = () => <ListSkeleton />;

export default Loading;
