#!/usr/bin/env bash
# LocalStack init hook: SES sends only from verified identities.
set -euo pipefail
awslocal sesv2 create-email-identity --email-identity "${MAIL_FROM_DOMAIN:-migration.local}" >/dev/null 2>&1 \
  || awslocal ses verify-domain-identity --domain "${MAIL_FROM_DOMAIN:-migration.local}" >/dev/null
echo "SES identity ${MAIL_FROM_DOMAIN:-migration.local} ready"
