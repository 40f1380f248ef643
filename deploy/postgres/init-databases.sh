#!/bin/sh
# Runs once, when the PostgreSQL data volume is first initialised (docker-entrypoint-initdb.d).
# Creates one login role and one database per service; each role owns only its database and
# no other role may connect to it. Passwords come from deploy/.env (<SVC>_DB_PASSWORD).
set -eu

for service in registrasi pokja helpdesk pelaporan; do
    variable="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
    eval "password=\${$variable:-}"
    if [ -z "$password" ]; then
        echo "init-databases: $variable is not set (copy deploy/.env.example to deploy/.env)" >&2
        exit 1
    fi
    echo "init-databases: role and database '$service'"
    psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v service="$service" -v password="$password" <<'SQL'
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
done
