"""The common library of the UKPBJ services: database and unit of work, outbox and relay,
idempotent consumers, event contracts, auth, RFC 9457 errors, metrics and logging."""
