import { render } from 'preact';
import { Popup } from './popup';
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.css';
import '../../styles/lightning.css';
import './popup.css';

render(<Popup />, document.getElementById('app')!);
