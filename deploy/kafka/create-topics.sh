#!/bin/sh
# One-shot topic creation for the compose stack (service `kafka-init`).
# KAFKA_TOPICS holds "name:partitions" entries separated by whitespace; every topic is created
# with KAFKA_REPLICATION_FACTOR replicas. Safe to re-run: existing topics are left alone, but
# the run fails if an existing topic has a different partition count than asked for.
set -eu

bootstrap="${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is not set}"
replication="${KAFKA_REPLICATION_FACTOR:-1}"
wanted="${KAFKA_TOPICS:?KAFKA_TOPICS is not set}"
topics_cmd=/opt/kafka/bin/kafka-topics.sh

for entry in $wanted; do
    "$topics_cmd" --bootstrap-server "$bootstrap" --create --if-not-exists \
        --topic "${entry%%:*}" --partitions "${entry##*:}" --replication-factor "$replication"
done

# One describe call for all topics: "Topic: <name> ... PartitionCount: <n> ..." per topic.
actual="$("$topics_cmd" --bootstrap-server "$bootstrap" --describe \
    | awk '/^Topic:/ { for (i = 1; i < NF; i++) { if ($i == "Topic:") t = $(i + 1); if ($i == "PartitionCount:") p = $(i + 1) } print t ":" p }')"

status=0
for entry in $wanted; do
    if echo "$actual" | grep -qx "$entry"; then
        echo "create-topics: ok $entry"
    else
        echo "create-topics: topic ${entry%%:*} does not have ${entry##*:} partitions" >&2
        status=1
    fi
done
exit "$status"
