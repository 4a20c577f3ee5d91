import path from 'node:path';

/** Repository root, from this file's place in `bench/dist/common/`. */
export const REPO = path.resolve(__dirname, '../../..');
export const BENCH_DIR = path.join(REPO, 'bench');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');
export const PROFILE_DIR = path.join(RESULTS_DIR, 'profiles');

/** Entry point of an app, run by path as a separate process (the bench never imports apps). */
export const appMain = (name: 'galley' | 'pilot' | 'proxy' | 'citadel'): string => path.join(REPO, 'apps', name, 'dist', 'main.js');

/** A compiled bench file next to this one (`bench/dist/...`). */
export const benchDist = (...parts: string[]): string => path.join(BENCH_DIR, 'dist', ...parts);
