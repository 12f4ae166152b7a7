-- The public halves of the keys that signed receipts (lib/receipts/record-receipt-signing-key.ts): the JWKS lists them all.
-- CreateTable
CREATE TABLE "ReceiptSigningKey" (
    "kid" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "firstUsedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReceiptSigningKey_pkey" PRIMARY KEY ("kid")
);

