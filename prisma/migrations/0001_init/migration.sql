-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "rollback_console";

-- CreateTable
CREATE TABLE "rollback_console"."User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."Incident" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'declared',
    "symptoms" TEXT NOT NULL DEFAULT '',
    "impact" TEXT NOT NULL DEFAULT '',
    "clusterContext" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "deployment" TEXT NOT NULL,
    "failedRevision" INTEGER,
    "failedImage" TEXT,
    "targetRevision" INTEGER,
    "targetImage" TEXT,
    "detectedAt" TIMESTAMPTZ(3) NOT NULL,
    "declaredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mitigatedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "commanderId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."StepState" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "actorId" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "data" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StepState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."Action" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "incidentId" TEXT,
    "step" INTEGER,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "kubectl" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'intent',
    "result" JSONB,
    "error" TEXT,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "resourceVersionBefore" TEXT,
    "resourceVersionAfter" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."TimelineEvent" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "kubectl" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."Snapshot" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actionId" TEXT,
    "manifest" JSONB NOT NULL,
    "resourceVersion" TEXT NOT NULL,
    "takenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."KnownBadImage" (
    "image" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "incidentId" TEXT,
    "markedBy" TEXT NOT NULL,
    "markedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnownBadImage_pkey" PRIMARY KEY ("image")
);

-- CreateTable
CREATE TABLE "rollback_console"."ShareLink" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShareLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollback_console"."Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "rollback_console"."User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_key_key" ON "rollback_console"."Incident"("key");

-- CreateIndex
CREATE INDEX "Incident_status_idx" ON "rollback_console"."Incident"("status");

-- CreateIndex
CREATE UNIQUE INDEX "StepState_incidentId_step_key" ON "rollback_console"."StepState"("incidentId", "step");

-- CreateIndex
CREATE UNIQUE INDEX "Action_idempotencyKey_key" ON "rollback_console"."Action"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Action_status_idx" ON "rollback_console"."Action"("status");

-- CreateIndex
CREATE INDEX "Action_incidentId_idx" ON "rollback_console"."Action"("incidentId");

-- CreateIndex
CREATE INDEX "TimelineEvent_incidentId_at_idx" ON "rollback_console"."TimelineEvent"("incidentId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "TimelineEvent_incidentId_seq_key" ON "rollback_console"."TimelineEvent"("incidentId", "seq");

-- CreateIndex
CREATE INDEX "Snapshot_incidentId_kind_name_idx" ON "rollback_console"."Snapshot"("incidentId", "kind", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ShareLink_tokenHash_key" ON "rollback_console"."ShareLink"("tokenHash");

-- AddForeignKey
ALTER TABLE "rollback_console"."Incident" ADD CONSTRAINT "Incident_commanderId_fkey" FOREIGN KEY ("commanderId") REFERENCES "rollback_console"."User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_console"."StepState" ADD CONSTRAINT "StepState_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "rollback_console"."Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_console"."Action" ADD CONSTRAINT "Action_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "rollback_console"."Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_console"."TimelineEvent" ADD CONSTRAINT "TimelineEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "rollback_console"."Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_console"."Snapshot" ADD CONSTRAINT "Snapshot_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "rollback_console"."Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_console"."ShareLink" ADD CONSTRAINT "ShareLink_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "rollback_console"."Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollback_console"."ShareLink" ADD CONSTRAINT "ShareLink_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "rollback_console"."User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ======================================================================
-- prisma/sql/timeline-append-only.sql
-- ======================================================================
-- The incident timeline is append-only at the database level: rows of "TimelineEvent" can be
-- inserted, never changed or removed, whoever the client is. Appended to the migration by
-- `npm run db:regen` (prisma/sql/*.sql, in name order), since Prisma's schema cannot express it.
-- A superuser can still switch triggers off for one session (SET session_replication_role =
-- replica), which is how the tamper-detection test edits a row; the hash chain then reveals it.

CREATE OR REPLACE FUNCTION "rollback_console"."timeline_event_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'TimelineEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a correction as a new timeline event instead.';
END;
$$;

CREATE TRIGGER "TimelineEvent_append_only"
  BEFORE UPDATE OR DELETE ON "rollback_console"."TimelineEvent"
  FOR EACH ROW EXECUTE FUNCTION "rollback_console"."timeline_event_refuse_change"();

CREATE TRIGGER "TimelineEvent_no_truncate"
  BEFORE TRUNCATE ON "rollback_console"."TimelineEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "rollback_console"."timeline_event_refuse_change"();
