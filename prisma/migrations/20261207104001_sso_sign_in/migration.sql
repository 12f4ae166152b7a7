-- CreateEnum
CREATE TYPE "AdminSignInMethod" AS ENUM ('email', 'sso', 'break_glass');

-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'sign_in_refused';
ALTER TYPE "AuditAction" ADD VALUE 'session_end';
ALTER TYPE "AuditAction" ADD VALUE 'sessions_end_all';
ALTER TYPE "AuditAction" ADD VALUE 'sso_session_ended';

-- AlterTable
ALTER TABLE "AdminSession" ADD COLUMN     "method" "AdminSignInMethod" NOT NULL DEFAULT 'email',
ADD COLUMN     "ssoCheckAt" TIMESTAMPTZ(3),
ADD COLUMN     "ssoRefreshToken" TEXT,
ADD COLUMN     "ssoSubject" TEXT,
ADD COLUMN     "userAgent" TEXT;

-- CreateTable
CREATE TABLE "AdminAccount" (
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminAccount_pkey" PRIMARY KEY ("provider","providerAccountId")
);

-- CreateIndex
CREATE INDEX "AdminAccount_userId_idx" ON "AdminAccount"("userId");

-- CreateIndex
CREATE INDEX "AdminSession_ssoCheckAt_idx" ON "AdminSession"("ssoCheckAt");

-- AddForeignKey
ALTER TABLE "AdminAccount" ADD CONSTRAINT "AdminAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "AdminUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

