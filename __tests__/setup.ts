import { Testing } from "../modules/terraform-cdk";

Testing.setupJest();
