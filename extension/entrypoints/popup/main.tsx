import { render } from 'preact';
import { Popup } from './popup';
import '../../styles/lightning.css';
import './popup.css';

render(<Popup />, document.getElementById('app')!);
