// The text of `integration-daemon --help`: every command with its options, the defaults and the exit codes.
import { DEFAULT_PORT, DEFAULT_URL, DEFAULT_USER, TOKEN_ENV, VIEWER_TOKEN_ENV } from './args.js';

export const USAGE = `integration-daemon — run an integration daemon, or operate one over its REST API

Usage:
  integration-daemon serve --config FILE [--host H] [--port N] [--state-dir DIR] [--console-dir DIR | --no-console]
  integration-daemon demo --data-dir DIR
  integration-daemon status
  integration-daemon restart   [--service MARKER] [--connector NAME]
  integration-daemon refresh   [--service MARKER] [--connector NAME]
  integration-daemon retry-now --connector NAME
  integration-daemon retry-objects-now --connector NAME [--object KEY]
  integration-daemon audit-log [--follow] [--severity S[,S]] [--connector NAME] [--limit N]
  integration-daemon metadata-elements [--type TYPE] [--prefix QUALIFIED-NAME-PREFIX] [--connector NAME]
                                       [--archived include|only] [--text TEXT]
  integration-daemon test NAME | --entry FILE --service MARKER  [--timeout SECONDS]
  integration-daemon runs      [--connector NAME] [--limit N]
  integration-daemon object-retries [--connector NAME]
  integration-daemon held-archives
  integration-daemon approve-archive NAME [--target TARGET]
  integration-daemon reject-archive NAME [--target TARGET]
  integration-daemon targets NAME [refresh|retry TARGET]
  integration-daemon groups list | show GROUP | create GROUP [--description TEXT] | delete GROUP
  integration-daemon groups add-connector GROUP FILE.json | remove-connector GROUP CONNECTOR
  integration-daemon config validate FILE

serve:
  Starts the daemon described by the configuration document and its REST + SSE server, then prints one line
  "listening on http://HOST:PORT" (the real port with --port 0). Defaults: --host 127.0.0.1 (loopback only),
  --port ${DEFAULT_PORT}, --state-dir .integration-daemon beside the configuration file. The operator token is
  ${TOKEN_ENV} if set, otherwise generated once into <state-dir>/token (mode 0600); an optional read-only
  token is taken from ${VIEWER_TOKEN_ENV}. The console is served at /console/: the one built into the installed
  package, or the one --console-dir names; --no-console serves none.
  SIGINT or SIGTERM shuts down cleanly (exit 0). A configuration problem lists every problem and exits 2.

demo:
  Writes a working demo configuration into DIR (kept if it already exists), with a landing area holding a few
  sample files, and prints the configuration's path.

Client options (every command but serve, demo and config), after the command or before it
(integration-daemon --url URL status is integration-daemon status --url URL):
  --url URL          platform root of the daemon (default ${DEFAULT_URL})
  --server NAME      server name (default: the name the daemon reports on /health)
  --user ID          user id in the request paths (default ${DEFAULT_USER})
  --token-file FILE  file holding the bearer token (default: ${TOKEN_ENV})
  --token TOKEN      the bearer token itself (other users of this machine can see it in the process list:
                     prefer --token-file or ${TOKEN_ENV})
  --json             print the JSON answer instead of a table

restart/refresh: with neither option, every connector of the daemon; --service alone, every connector of that
integration service; --connector alone, that connector wherever it runs.

retry-now: the connector's pending retry (the automatic restart the daemon has scheduled) runs at once.
retry-objects-now: the connector's object retries (each a failed file or table to process again) run at once;
--object KEY only that one. object-retries lists them.

held-archives: the archives the mass-archive fail-safe held (a run that would archive more than a connector's
archiveFailSafe.thresholdPercent of its elements archives nothing). approve-archive archives them now;
reject-archive keeps the elements (a later run that still finds them gone holds them again). A catalog target's
held archive (its CATALOG TARGET column) is decided with --target TARGET.

targets: a connector's catalog targets (the directories, schemas… it works on), each with its status, last run,
error source and message. refresh TARGET catalogues that target again now; retry TARGET retries a failed target
now (it is otherwise retried on its own). Neither restarts the connector nor touches its other targets.

groups: the integration groups defined in the daemon's metadata server (their connectors are connector entries, as
in a configuration document), and whether this daemon runs each (STATUS HERE: Egeria's ASSIGNED, CONFIGURING, RUNNING,
FAILED). Every daemon whose configuration names a group picks a change up within seconds.

metadata-elements: the elements connectors catalogued; archived ones are left out unless --archived says.

test: runs the connection test of a configured connector (NAME), or of a connector entry not saved yet (a JSON file
holding the entry, for the integration service MARKER), step by step without starting anything. Exit 0 when every
step passed, 1 when one failed (the failed step says why and what to do).

Exit codes: 0 done, 1 the daemon refused or could not be reached, 2 bad arguments or configuration.`;
