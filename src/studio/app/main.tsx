/**
 * Entry of the studio web app, bundled by `bundleStudioApp` (esbuild) when the studio starts.
 * Browser-only: nothing here may import Node modules.
 */
import { createRoot } from 'react-dom/client';
import { StudioApp } from './studio-app.js';
import './studio.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<StudioApp />);
