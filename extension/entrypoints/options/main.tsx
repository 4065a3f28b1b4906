import { render } from 'preact';
import { Options } from './options';
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.css';
import '../../styles/lightning.css';
import './options.css';

render(<Options />, document.getElementById('app')!);
