import { ListSkeleton } from "@/components/admin/list-skeleton";

const Loading = () => <ListSkeleton rows={10} />;

export default Loading;
