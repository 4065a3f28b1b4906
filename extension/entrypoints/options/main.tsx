import { render } from 'preact';
import { Options } from './options';
import '../../styles/lightning.css';
import './options.css';

render(<Options />, document.getElementById('app')!);
