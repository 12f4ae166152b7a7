import { ListSkeleton } from "@/components/admin/list-skeleton";

const Loading = () => <ListSkeleton rows={4} />;

export default Loading;
