/**
 * The manifests of the runbook's application, as the team would have written them (with the
 * fields the API server defaults already filled in, so applying a backup or undoing a rollout
 * lands on exactly the template of an existing ReplicaSet).
 */
import type { Loose } from '../controllers/util';
import type { KubeObject } from '../store';

export const NAMESPACE = 'llm-orchestrator';
export const APP = 'orchestrator';
export const IMAGE_REPO = 'registry.example.com/llm/orchestrator';
export const POSTGRES_IMAGE = 'docker.io/library/postgres:16.4';

export const imageFor = (version: string) => `${IMAGE_REPO}:${version}`;

/** orchestrator-config before the v0.2.0 deploy (what configmap-backup-*.yaml holds). */
export const CONFIG_V01: Record<string, string> = {
  LOG_LEVEL: 'info',
  MAX_CONCURRENT_WORKFLOWS: '50',
  LLM_PROVIDER_TIMEOUT_SECONDS: '30',
  CACHE_TTL_SECONDS: '300',
  FEATURE_STREAMING: 'false',
};

/** orchestrator-config as the v0.2.0 deploy changed it. */
export const CONFIG_V02: Record<string, string> = {
  LOG_LEVEL: 'debug',
  MAX_CONCURRENT_WORKFLOWS: '200',
  LLM_PROVIDER_TIMEOUT_SECONDS: '120',
  CACHE_TTL_SECONDS: '300',
  FEATURE_STREAMING: 'true',
  WORKFLOW_CHECKPOINT_MODE: 'eager',
};

const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
  httpGet: { path, port: 8080, scheme: 'HTTP' },
  initialDelaySeconds,
  periodSeconds,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
});

/** The pod template of the orchestrator Deployment at a version. */
export function orchestratorTemplate(version: string): Loose {
  return {
    metadata: { labels: { app: APP } },
    spec: {
      containers: [
        {
          name: APP,
          image: imageFor(version),
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          envFrom: [{ configMapRef: { name: 'orchestrator-config' } }],
          env: [
            { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'orchestrator-secrets', key: 'database-url' } } },
            { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'orchestrator-secrets', key: 'openai-api-key' } } },
          ],
          readinessProbe: probe('/health/ready', 5, 10),
          livenessProbe: probe('/health', 15, 20),
          resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  };
}

/** The Deployment manifest at a version (no status, no server-set metadata). */
export function orchestratorDeployment(version: string, changeCause: string, replicas = 3): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: APP,
      namespace: NAMESPACE,
      labels: { app: APP },
      annotations: { 'kubernetes.io/change-cause': changeCause },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: APP } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: orchestratorTemplate(version),
    },
  };
}

export function orchestratorConfigMap(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orchestrator-config', namespace: NAMESPACE, labels: { app: APP } }, data: { ...data } };
}

export function orchestratorSecret(): KubeObject {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'orchestrator-secrets', namespace: NAMESPACE, labels: { app: APP } },
    type: 'Opaque',
    data: { 'database-url': b64('postgresql://orchestrator:REDACTED@postgres:5432/orchestrator'), 'openai-api-key': b64('sk-sim-not-a-real-key') },
  };
}

export function orchestratorService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: APP, namespace: NAMESPACE, labels: { app: APP } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.120.15',
      clusterIPs: ['10.96.120.15'],
      selector: { app: APP },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
  };
}

/** The HPA exactly as step 9 of the runbook recreates it. */
export function orchestratorHpa(): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: APP, namespace: NAMESPACE },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: APP },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

export function postgresStatefulSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'postgres', namespace: NAMESPACE, labels: { app: 'postgres' } },
    spec: {
      replicas: 1,
      serviceName: 'postgres',
      selector: { matchLabels: { app: 'postgres' } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      template: {
        metadata: { labels: { app: 'postgres' } },
        spec: {
          containers: [
            {
              name: 'postgres',
              image: POSTGRES_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }],
              env: [
                { name: 'POSTGRES_USER', value: 'orchestrator' },
                { name: 'POSTGRES_DB', value: 'orchestrator' },
              ],
              resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    },
  };
}

export function postgresService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'postgres', namespace: NAMESPACE, labels: { app: 'postgres' } },
    spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }], sessionAffinity: 'None' },
  };
}
