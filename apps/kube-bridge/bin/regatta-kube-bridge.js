#!/usr/bin/env node
// The installed `regatta-kube-bridge` command. It stays in the repository (unlike dist/) so npm can link it
// at install time, before the build has produced dist/main.js.
import '../dist/main.js';
