import { ListSkeleton } from "@/components/admin/list-skeleton";

const Loading = () => <ListSkeleton rows={3} />;

export default Loading;
