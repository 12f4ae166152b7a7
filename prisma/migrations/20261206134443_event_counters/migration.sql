-- CreateTable
CREATE TABLE "EventCounter" (
    "event" TEXT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "EventCounter_pkey" PRIMARY KEY ("event")
);

