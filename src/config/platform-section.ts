import type { z } from 'zod';

// Methods, not function properties: the registry holds sections of different configs under
// one entry type, which method parameters allow.

/**
 * One chat platform's part of the configuration: its environment variables (secrets marked
 * with `secret`), the rules between them, and what they make. Every platform has one, named in
 * its registry entry (`src/platforms/platform-registry.ts`); `parseConfig` merges them.
 */
export interface PlatformSection<Shape extends z.ZodRawShape, PlatformConfig> {
  variables: Shape;
  /**
   * Rules across variables, each problem added to `ctx`. `env` is every variable as parsed,
   * the platform's own and the shared ones (`TOKEN_ENCRYPTION_KEY`).
   */
  check?(env: Record<string, unknown>, ctx: z.RefinementCtx): void;
  /** The platform's configuration, or `null` when this process is not configured for it. */
  read(env: z.infer<z.ZodObject<Shape>> & Record<string, unknown>): PlatformConfig | null;
  /**
   * Messages per second this process's deliveries are kept to across every worker (BullMQ's
   * limiter on the platform's queue), or `null` when the platform is limited elsewhere.
   */
  deliveryRate(config: PlatformConfig): number | null;
}

/** Declares a section with its types inferred. */
export function platformSection<Shape extends z.ZodRawShape, PlatformConfig>(
  section: PlatformSection<Shape, PlatformConfig>,
): PlatformSection<Shape, PlatformConfig> {
  return section;
}
