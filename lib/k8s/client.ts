import 'server-only';
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  KubeConfig,
} from '@kubernetes/client-node';
import { env } from '@/lib/env';

/** Sent with every request, so the API server's audit log and the simulation's counters can tell us apart. */
export const USER_AGENT = 'rollback-console/0.1';

/**
 * The person a request is made for. Recorded in annotations on writes; sent as
 * Impersonate-User/Impersonate-Group when KUBE_IMPERSONATE is on, so the cluster's RBAC applies
 * to the person and not to the console's service account.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
 */
export type K8sActor = { email: string; name?: string | null; group?: string };

/** A KubeConfig that adds our user agent and, optionally, impersonation headers to every request (API clients, watches and logs alike). */
class ConsoleKubeConfig extends KubeConfig {
  constructor(private readonly extraHeaders: Record<string, string>) {
    super();
  }

  /** Used by Watch and Log (fetch-based helpers). */
  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    opts.headers = { ...(opts.headers ?? {}), ...this.extraHeaders };
  }

  /** Used by the generated API clients. */
  override async applySecurityAuthentication(context: Parameters<KubeConfig['applySecurityAuthentication']>[0]): Promise<void> {
    await super.applySecurityAuthentication(context);
    for (const [k, v] of Object.entries(this.extraHeaders)) context.setHeaderParam(k, v);
  }
}

const configs = new Map<string, ConsoleKubeConfig>();

function load(headers: Record<string, string>): ConsoleKubeConfig {
  const { KUBECONFIG, KUBE_CONTEXT } = env();
  const kc = new ConsoleKubeConfig(headers);
  if (KUBECONFIG) {
    // KUBECONFIG may list several files like kubectl's; the first one is enough for the console.
    kc.loadFromFile(KUBECONFIG.split(':')[0] ?? KUBECONFIG);
    if (KUBE_CONTEXT) kc.setCurrentContext(KUBE_CONTEXT);
  } else {
    kc.loadFromCluster();
  }
  return kc;
}

/**
 * The kubeconfig for the configured context (cached per context and impersonated user).
 * Unset KUBECONFIG means the in-cluster service account.
 */
export function getKubeConfig(opts: { actor?: K8sActor | undefined } = {}): KubeConfig {
  const { KUBECONFIG, KUBE_CONTEXT, KUBE_IMPERSONATE } = env();
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
  const impersonate = KUBE_IMPERSONATE && opts.actor ? opts.actor : undefined;
  if (impersonate) {
    headers['Impersonate-User'] = impersonate.email;
    if (impersonate.group) headers['Impersonate-Group'] = impersonate.group;
  }
  const key = JSON.stringify([KUBECONFIG ?? '', KUBE_CONTEXT ?? '', impersonate?.email ?? '', impersonate?.group ?? '']);
  let kc = configs.get(key);
  if (!kc) {
    kc = load(headers);
    configs.set(key, kc);
  }
  return kc;
}

export type KubeClients = { kc: KubeConfig; apps: AppsV1Api; core: CoreV1Api; autoscaling: AutoscalingV2Api };

/** API clients for one request, acting for `actor` when impersonation is on. */
export function kubeClients(opts: { actor?: K8sActor | undefined } = {}): KubeClients {
  const kc = getKubeConfig(opts);
  return {
    kc,
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    autoscaling: kc.makeApiClient(AutoscalingV2Api),
  };
}

/** The name of the context in use (shown in the UI and recorded on incidents). */
export function currentContextName(): string {
  return getKubeConfig().getCurrentContext();
}

/** Tests point KUBECONFIG at a fresh simulation between cases. */
export function resetKubeClientForTests(): void {
  configs.clear();
}
