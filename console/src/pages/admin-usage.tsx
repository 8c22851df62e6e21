import { UsageReport } from './usage.tsx';

export const AdminUsage = () => <UsageReport admin />;
