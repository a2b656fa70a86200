// What each adapter says about its connection, gathered for /status and the
// admins' alerts. Adapters without health() count as connected once started.
import type { AdapterHealth, Platform } from '../model.js';

export interface HealthSource {
  readonly platform: Platform;
  health?(): AdapterHealth;
}

const NAMES: Record<string, string> = { slack: 'Slack', discord: 'Discord', whatsapp: 'WhatsApp', console: 'the console' };

/** "Slack", "WhatsApp", or the platform's own name. */
export function platformName(platform: string): string {
  return NAMES[platform] ?? platform;
}

export class HealthBoard {
  private sources = new Map<Platform, HealthSource>();
  private startedAt = new Map<Platform, number>();
  private addedAt = new Map<Platform, number>();

  constructor(private now: () => number) {}

  add(source: HealthSource) {
    this.sources.set(source.platform, source);
    this.addedAt.set(source.platform, this.now());
  }

  /** The adapter has started (its connection counts from now unless it reports otherwise). */
  started(platform: Platform, at: number) {
    this.startedAt.set(platform, at);
  }

  platforms(): Platform[] {
    return [...this.sources.keys()];
  }

  health(platform: Platform): AdapterHealth | undefined {
    const source = this.sources.get(platform);
    if (!source) return undefined;
    let reported: AdapterHealth | undefined;
    try {
      reported = source.health?.();
    } catch {
      reported = { connected: false, since: this.startedAt.get(platform) ?? this.addedAt.get(platform)!, detail: 'it could not say how it is' };
    }
    if (reported) return reported;
    const since = this.startedAt.get(platform);
    // Still starting (a login that waits for a person, say): down since it was added.
    return since === undefined ? { connected: false, since: this.addedAt.get(platform)!, detail: 'still starting' } : { connected: true, since };
  }

  connected(platform: Platform): boolean {
    return this.health(platform)?.connected ?? false;
  }
}
