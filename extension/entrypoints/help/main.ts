/** The help page's look: the Lightning Design System, like the panel, popup and options. Its text is plain HTML. */
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.css';
import '../../styles/lightning.css';
import './help.css';
