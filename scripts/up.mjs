// `npm run up`: install, build and start Trellis on the embedded defaults (SQLite store in ./data).
import { build, ensurePnpm, installWorkspace, must } from './lib.mjs';

ensurePnpm();
installWorkspace();
build();
must('pnpm', ['start']);
