// Shapes of the dashboard API replies (server/src/routes/dashboards.ts); figures come from @trellis/core.
import type { DashboardData, DashboardDefinition, WidgetData } from '@trellis/core';

export interface DashboardItem {
  id: string;
  appId: string;
  version: number;
  definition: DashboardDefinition;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export type { DashboardData, WidgetData };
